import '@/components/styles/options.css';
import {render} from 'preact';
import {OptionsContainer} from './options-container';

render(<OptionsContainer />, document.querySelector('#app')!);
