import '@/components/styles/composer.css';
import {render} from 'preact';
import {EditContainer} from './edit-container';

render(<EditContainer uid={new URLSearchParams(location.search).get('uid') ?? ''} />, document.querySelector('#app')!);
